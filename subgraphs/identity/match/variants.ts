// The match model's own table of forename variants: groups of names that staff key for one person, the
// common English diminutives and the common romanisations of Arabic, South Asian and Irish names. Kept
// here, written for the matcher and independent of the synthetic population's generator (legacy/),
// which has its own lists to make the mess: a matcher that imported the generator's list would only
// find the variants it was told about. Two forenames in one group compare as VARIANT.
import { nameKey } from '../../../adapters/normalise.js';

/** Each line one group: the name as given, then its informal forms and other spellings. */
export const FORENAME_GROUPS: readonly (readonly string[])[] = [
  // Diminutives and short forms (English given names).
  ['Alexander', 'Alex', 'Alec', 'Sandy', 'Xander'], ['Alexandra', 'Alex', 'Alexa', 'Sandra', 'Lexi'],
  ['Andrew', 'Andy', 'Drew'], ['Anthony', 'Tony', 'Ant', 'Antony'], ['Benjamin', 'Ben', 'Benny', 'Benji'],
  ['Charles', 'Charlie', 'Chas', 'Chuck'], ['Christopher', 'Chris', 'Kit', 'Christy'], ['Daniel', 'Dan', 'Danny'],
  ['David', 'Dave', 'Davy', 'Davey'], ['Edward', 'Ed', 'Eddie', 'Ted', 'Ned'], ['Frederick', 'Fred', 'Freddie'],
  ['Gerald', 'Gerry', 'Jerry'], ['Gregory', 'Greg'], ['Henry', 'Harry', 'Hal'], ['James', 'Jim', 'Jimmy', 'Jamie'],
  ['John', 'Johnny', 'Jack', 'Jon'], ['Jonathan', 'Jon', 'Jonny', 'Johnny'], ['Joseph', 'Joe', 'Joey'],
  ['Joshua', 'Josh'], ['Kenneth', 'Ken', 'Kenny'], ['Lawrence', 'Laurence', 'Larry', 'Laurie'],
  ['Leonard', 'Len', 'Lenny', 'Leo'], ['Matthew', 'Matt', 'Matty'], ['Michael', 'Mike', 'Mick', 'Mikey', 'Micky'],
  ['Nicholas', 'Nick', 'Nicky', 'Nico'], ['Patrick', 'Pat', 'Paddy'], ['Peter', 'Pete'], ['Philip', 'Phil', 'Phillip'],
  ['Raymond', 'Ray'], ['Richard', 'Rick', 'Ricky', 'Rich', 'Richie', 'Dick'], ['Robert', 'Rob', 'Bob', 'Bobby', 'Robbie', 'Bert'],
  ['Ronald', 'Ron', 'Ronnie'], ['Samuel', 'Sam', 'Sammy'], ['Stephen', 'Steve', 'Stevie', 'Steven'], ['Steven', 'Steve', 'Stevie'],
  ['Terence', 'Terry'], ['Thomas', 'Tom', 'Tommy'], ['Timothy', 'Tim', 'Timmy'], ['Vincent', 'Vince', 'Vinny'],
  ['William', 'Will', 'Bill', 'Billy', 'Willie', 'Liam'], ['Zachary', 'Zach', 'Zack'],
  ['Abigail', 'Abby', 'Abbie'], ['Catherine', 'Kate', 'Cathy', 'Katie', 'Kathryn', 'Katherine', 'Kath'],
  ['Charlotte', 'Lottie', 'Charlie', 'Lotte'], ['Christine', 'Chris', 'Chrissie', 'Tina'], ['Deborah', 'Debbie', 'Deb', 'Debra'],
  ['Eleanor', 'Ellie', 'Nell', 'Nora'], ['Elizabeth', 'Liz', 'Lizzie', 'Beth', 'Betty', 'Eliza', 'Libby', 'Bess'],
  ['Jacqueline', 'Jackie', 'Jacky'], ['Jennifer', 'Jen', 'Jenny', 'Jenni'], ['Jessica', 'Jess', 'Jessie'],
  ['Josephine', 'Jo', 'Josie'], ['Kimberley', 'Kim', 'Kimberly'], ['Margaret', 'Maggie', 'Meg', 'Peggy', 'Marge', 'Maisie'],
  ['Nicola', 'Nicky', 'Nikki'], ['Patricia', 'Pat', 'Patsy', 'Trish', 'Tricia'], ['Rebecca', 'Becky', 'Becca', 'Bex'],
  ['Samantha', 'Sam', 'Sammy'], ['Susan', 'Sue', 'Susie', 'Suzanne'], ['Victoria', 'Vicky', 'Vicki', 'Tori'],
  ['Kayleigh', 'Kayley', 'Kaylee', 'Kailey'], ['Stacey', 'Stacy', 'Stacie'], ['Leanne', 'Lianne', 'Leann'],
  ['Zoe', 'Zoey', 'Zoë'], ['Sophie', 'Sophia', 'Sofia'], ['Hannah', 'Hanna'], ['Danielle', 'Dani'],
  // Romanisations of one name (Arabic, South Asian, Irish).
  ['Mohammed', 'Muhammad', 'Mohammad', 'Mohamed', 'Muhammed', 'Mohamad', 'Mohd', 'Mehmet'],
  ['Ahmed', 'Ahmad', 'Ahmet'], ['Mahmoud', 'Mahmood', 'Mahmud'], ['Hussain', 'Hussein', 'Husain', 'Hossain'],
  ['Hassan', 'Hasan'], ['Yusuf', 'Yousef', 'Youssef', 'Yousuf'], ['Ibrahim', 'Ebrahim'], ['Omar', 'Umar'],
  ['Osman', 'Usman', 'Uthman'], ['Tariq', 'Tarik', 'Tareq'], ['Jamal', 'Jamaal', 'Gamal'], ['Khalid', 'Khaled'],
  ['Aisha', 'Ayesha', 'Aysha', 'Aishah'], ['Fatima', 'Fatimah', 'Fatma'], ['Zainab', 'Zaynab', 'Zeinab'],
  ['Mariam', 'Maryam', 'Miriam'], ['Siobhan', 'Shevaun', 'Shivaun', 'Chevonne'], ['Niamh', 'Neve', 'Neave', 'Niamth'],
  ['Sean', 'Shaun', 'Shawn'], ['Padraig', 'Patrick'], ['Aoife', 'Eefa'], ['Ciaran', 'Kieran', 'Kieron'],
  ['Connor', 'Conor'], ['Declan', 'Deaglan'], ['Eoin', 'Owen'], ['Seamus', 'Shamus', 'James'],
];

/** Every name's key to the keys of the names it shares a group with. */
export const FORENAME_VARIANT_KEYS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const out = new Map<string, Set<string>>();
  for (const group of FORENAME_GROUPS) {
    const keys = group.map(nameKey);
    for (const k of keys) {
      const set = out.get(k) ?? out.set(k, new Set()).get(k)!;
      for (const other of keys) if (other !== k) set.add(other);
    }
  }
  return out;
})();
