// The synthetic population's name pools: long-tailed, as real name distributions are.
//
// Before, 20,000 people were drawn uniformly from 80 surnames and 40 forenames per sex, so about five men
// shared each full name: far more namesakes than any real register, which made "same name, date of birth
// missing" undecidable and capped what matching could be scored at. Real British surnames number in the
// hundreds of thousands, with a few very common ones (Smith, Jones, Williams hold about 1 % each) and a
// long tail; forenames are fewer and flatter (the commonest man's name for people born 1960–2007 is held
// by about 3 % of men).
//
// What is here (no frequency data set is available to the project, so the weights are a model, not
// counts):
// - Surnames: about 440 well-known common surnames of England, Wales, Scotland and Ireland, and of the
//   South Asian, African, Polish, Romanian and Portuguese communities, in roughly descending order of
//   how common they are; then real Mac/Mc and O' names; then a COMPOSED long tail, documented as such:
//   real English surname roots joined to the real patterns such names are made of (patronymic
//   -son/-s/-kins/-ett, and place endings -ley/-ton/-ford/-field/-wood/…: Ashford, Bradley, Hobson are
//   real names of exactly this shape). About 3,300 surnames in all.
// - Forenames: about 200 men's and 215 women's names common in Britain for people born 1960–2007, in
//   roughly descending order.
// - Weights: rank r weighs 1 / (r + k) (a shifted Zipf law, as name frequencies follow). k = 20 for
//   surnames puts about 0.9 % of people on the commonest, k = 10 for forenames about 3 % of men on the
//   commonest. Two random people share a surname about 1 time in 530 (in real Britain it is rarer, so
//   this is, if anything, harder to match than real data) and a man's forename and surname about 1 time
//   in 50,000.
// - A draw takes exactly one random number, like the uniform pick it replaces, so every other attribute of
//   every generated person is unchanged.
//
// Names are kept free of the informal forms and transliterations the generators key as mistakes (Bill,
// Muhammad, Ayesha, …), so such a record is a mistake the truth can label.

/** A name list with cumulative weights: `draw(u)` maps one uniform number in [0, 1) to a name. */
export class NamePool {
  readonly names: readonly string[];
  private readonly cumulative: Float64Array;
  constructor(names: readonly string[], shift: number) {
    const seen = new Set<string>();
    const unique = names.filter((n) => (seen.has(n) ? false : (seen.add(n), true)));
    this.names = unique;
    this.cumulative = new Float64Array(unique.length);
    let total = 0;
    unique.forEach((_, r) => { total += 1 / (r + 1 + shift); this.cumulative[r] = total; });
    for (let r = 0; r < unique.length; r++) this.cumulative[r] /= total;
  }
  /** The name a uniform number in [0, 1) falls on. */
  draw(u: number): string {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > u) hi = mid; else lo = mid + 1;
    }
    return this.names[lo];
  }
  /** The share of draws that fall on a name (0 when it is not in the pool). */
  share(name: string): number {
    const r = this.names.indexOf(name);
    return r < 0 ? 0 : this.cumulative[r] - (r > 0 ? this.cumulative[r - 1] : 0);
  }
}

const MALE_NAMES = [
  'David', 'Paul', 'Andrew', 'Mark', 'John', 'Michael', 'Stephen', 'James', 'Richard', 'Robert', 'Christopher', 'Ian',
  'Peter', 'Daniel', 'Simon', 'Matthew', 'Anthony', 'Kevin', 'Gary', 'Steven', 'Martin', 'Thomas', 'Lee', 'Darren',
  'Neil', 'Jason', 'Craig', 'Wayne', 'Adam', 'Jonathan', 'Nicholas', 'Philip', 'Alan', 'Stuart', 'Carl', 'Dean',
  'Shaun', 'Scott', 'Graham', 'William', 'Ryan', 'Luke', 'Jamie', 'Benjamin', 'Samuel', 'Joseph', 'Jack', 'Liam',
  'Joshua', 'Karl', 'Sean', 'Timothy', 'Keith', 'Colin', 'Brian', 'Barry', 'Kenneth', 'Trevor', 'Raymond', 'George',
  'Edward', 'Alexander', 'Jordan', 'Callum', 'Connor', 'Kieran', 'Nathan', 'Aaron', 'Bradley', 'Ashley', 'Gareth',
  'Russell', 'Jeremy', 'Julian', 'Nigel', 'Roger', 'Malcolm', 'Gordon', 'Derek', 'Terence', 'Dennis', 'Gavin',
  'Jeffrey', 'Leslie', 'Lewis', 'Mohammed', 'Ahmed', 'Tariq', 'Jamal', 'Imran', 'Asif', 'Arif', 'Rajesh', 'Sanjay',
  'Amit', 'Vijay', 'Harjit', 'Gurpreet', 'Kwame', 'Kofi', 'Emeka', 'Chinedu', 'Oluwaseun', 'Tomasz', 'Piotr',
  'Krzysztof', 'Marek', 'Pawel', 'Gregory', 'Howard', 'Kelvin', 'Clive', 'Dale', 'Glen', 'Glenn', 'Ross', 'Robin',
  'Roy', 'Ronald', 'Terry', 'Vincent', 'Warren', 'Frank', 'Frederick', 'Harry', 'Henry', 'Hugh', 'Jacob', 'Jake',
  'Joel', 'Kyle', 'Leon', 'Marcus', 'Mathew', 'Max', 'Oliver', 'Owen', 'Patrick', 'Rhys', 'Reece', 'Ricky', 'Rory',
  'Stewart', 'Tyler', 'Charles', 'Brandon', 'Conor', 'Declan', 'Dominic', 'Elliott', 'Ethan', 'Euan', 'Fraser',
  'Gerard', 'Grant', 'Hamish', 'Iain', 'Jay', 'Jerome', 'Justin', 'Kirk', 'Leigh', 'Lloyd', 'Luke', 'Mitchell', 'Niall',
  'Noel', 'Phillip', 'Ralph', 'Rodney', 'Ruairi', 'Sebastian', 'Shane', 'Stanley', 'Toby', 'Tristan', 'Victor',
  'Wesley', 'Zak', 'Adrian', 'Alistair', 'Allan', 'Alfie', 'Archie', 'Arthur', 'Bernard', 'Cameron', 'Christian',
  'Damian', 'Darryl', 'Desmond', 'Duncan', 'Eric', 'Ewan', 'Francis', 'Geoffrey', 'Graeme', 'Harvey', 'Ivan',
];

const FEMALE_NAMES = [
  'Sarah', 'Claire', 'Nicola', 'Emma', 'Lisa', 'Joanne', 'Michelle', 'Helen', 'Samantha', 'Karen', 'Amanda', 'Rachel',
  'Louise', 'Julie', 'Gemma', 'Laura', 'Rebecca', 'Kelly', 'Victoria', 'Susan', 'Elizabeth', 'Deborah', 'Jennifer',
  'Stephanie', 'Catherine', 'Katherine', 'Donna', 'Jacqueline', 'Tracey', 'Alison', 'Angela', 'Dawn', 'Jane',
  'Caroline', 'Hannah', 'Charlotte', 'Jessica', 'Amy', 'Sophie', 'Chloe', 'Lauren', 'Danielle', 'Natalie', 'Zoe',
  'Kerry', 'Stacey', 'Leanne', 'Jade', 'Kayleigh', 'Hayley', 'Kirsty', 'Lucy', 'Emily', 'Katie', 'Jodie', 'Sharon',
  'Tracy', 'Wendy', 'Mary', 'Patricia', 'Linda', 'Barbara', 'Margaret', 'Sandra', 'Ashley', 'Melissa', 'Nancy', 'Aisha',
  'Fatima', 'Siobhan', 'Niamh', 'Ann', 'Anne', 'Carol', 'Christine', 'Denise', 'Diane', 'Janet', 'Gillian', 'Kathryn',
  'Kim', 'Lynn', 'Maria', 'Paula', 'Sally', 'Tina', 'Vanessa', 'Yvonne', 'Abigail', 'Alice', 'Amber', 'Bethany',
  'Georgia', 'Holly', 'Jasmine', 'Megan', 'Olivia', 'Paige', 'Shannon', 'Sian', 'Amina', 'Priya', 'Sonia', 'Naomi',
  'Ruth', 'Esther', 'Grace', 'Joy', 'Precious', 'Blessing', 'Agnieszka', 'Katarzyna', 'Magdalena', 'Anna', 'Eilidh',
  'Fiona', 'Morag', 'Catriona', 'Aoife', 'Ciara', 'Roisin', 'Bridget', 'Sinead', 'Kathleen', 'Maureen', 'Eileen',
  'Heather', 'Lesley', 'Lorraine', 'Marie', 'Pauline', 'Shirley', 'Valerie', 'Beverley', 'Andrea', 'Debra', 'Elaine',
  'Frances', 'Jean', 'Joyce', 'Judith', 'Julia', 'Leah', 'Lindsey', 'Melanie', 'Natasha', 'Rachael', 'Sara', 'Sheila',
  'Teresa', 'Toni', 'Kimberley', 'Charlene', 'Chantelle', 'Demi', 'Courtney', 'Ellie', 'Shelley', 'Carly', 'Gail',
  'Hazel', 'Irene', 'Janice', 'Joanna', 'Karina', 'Katrina', 'Lydia', 'Mandy', 'Marion', 'Nadia', 'Nina',
  'Rosemary', 'Sabrina', 'Sadia', 'Shabana', 'Nasreen', 'Parveen', 'Rukhsana', 'Harpreet', 'Manjit', 'Sunita',
  'Anita', 'Geeta', 'Abena', 'Ama', 'Chioma', 'Ngozi', 'Funmilayo', 'Ewa', 'Monika', 'Justyna', 'Rhiannon', 'Ceri',
  'Bronwen', 'Carys', 'Cerys', 'Lowri', 'Ffion', 'Eleanor', 'Ellen', 'Erin', 'Eve', 'Freya', 'Imogen', 'Isabel',
  'Jenna', 'Kayla', 'Keeley', 'Kirstie', 'Lois', 'Molly', 'Phoebe', 'Rosie', 'Ruby', 'Tanya', 'Tara',
];

const SURNAME_HEAD = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
  'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
  'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark',
  'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker',
  'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins',
  'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Khan', 'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams',
  'Singh', 'Begum', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray', 'Mason', 'Ali', 'Hunt',
  'Hussain', 'Campbell', 'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd', 'Butler',
  'Russell', 'Barker', 'Fisher', 'Stevens', 'Jenkins', 'Murray', 'Dixon', 'Harvey', 'Graham', 'Pearson', 'Ahmed',
  'Fletcher', 'Walsh', 'Kaur', 'Gibson', 'Howard', 'Andrews', 'Stewart', 'Elliott', 'Reynolds', 'Saunders', 'Payne',
  'Fox', 'Ford', 'Pearce', 'Day', 'Brooks', 'West', 'Lawrence', 'Cole', 'Atkinson', 'Bradley', 'Spencer', 'Gill',
  'Dawson', 'Ball', 'Burton', "O'Brien", 'Watts', 'Rose', 'Booth', 'Perry', 'Ryan', 'Grant', 'Wells', 'Armstrong',
  'Francis', 'Rees', 'Hayes', 'Hart', 'Hudson', 'Newman', 'Barrett', 'Webster', 'Hunter', 'Gregory', 'Carr', 'Lowe',
  'Page', 'Marsh', 'Riley', 'Dunn', 'Woods', 'Parsons', 'Berry', 'Stone', 'Reid', 'Holland', 'Hawkins', 'Harding',
  'Porter', 'Robertson', 'Newton', 'Oliver', 'Reed', 'Kennedy', 'Williamson', 'Bird', 'Gardner', 'Shah', 'Dean',
  'Lane', 'Cooke', 'Bates', 'Henderson', 'Parry', 'Burgess', 'Bishop', 'Walton', 'Burns', 'Nicholson', 'Shepherd',
  'Ross', 'Cross', 'Long', 'Freeman', 'Warren', 'Nicholls', 'Hamilton', 'Byrne', 'Sutton', 'McDonald', 'Yates',
  'Hodgson', 'Robson', 'Curtis', 'Hopkins', "O'Connor", 'Harper', 'Coleman', 'Watkins', 'Moss', 'McCarthy', 'Chambers',
  "O'Neill", 'Griffin', 'Sharp', 'Hardy', 'Wheeler', 'Potter', 'Osborne', 'Johnston', 'Gordon', 'Doyle', 'Wallace',
  'George', 'Jordan', 'Hutchinson', 'Rowe', 'Burke', 'May', 'Pritchard', 'Gilbert', 'Willis', 'Higgins', 'Read',
  'Miles', 'Stevenson', 'Stephenson', 'Hammond', 'Arnold', 'Buckley', 'Walters', 'Hewitt', 'Barber', 'Nelson', 'Slater',
  'Austin', 'Sullivan', 'Whitehead', 'Mann', 'Frost', 'Lambert', 'Stephens', 'Blake', 'Akhtar', 'Lynch', 'Goodwin',
  'Barton', 'Woodward', 'Thomson', 'Cunningham', 'Quinn', 'Barnett', 'Baxter', 'Bibi', 'Clayton', 'Nash', 'Greenwood',
  'Jennings', 'Holt', 'Kemp', 'Poole', 'Gallagher', 'Bond', 'Stokes', 'Tucker', 'Davidson', 'Fowler', 'Heath',
  'Norman', 'Middleton', 'Lawson', 'Banks', 'French', 'Stanley', 'Jarvis', 'Gibbs', 'Ferguson', 'Hayward', 'Carroll',
  'Douglas', 'Dickinson', 'Todd', 'Barlow', 'Peters', 'Lucas', 'Knowles', 'Hartley', 'Miah', 'Simmons', 'Morton',
  'Alexander', 'Field', 'Morrison', 'Norris', 'Townsend', 'Preston', 'Hancock', 'Thornton', 'Baldwin', 'Burrows',
  'Briggs', 'Storey', 'Pugh', 'Jacobs', 'Humphreys', 'Iqbal', 'Rahman', 'Islam', 'Mahmood', 'Akram', 'Aziz', 'Malik',
  'Butt', 'Chowdhury', 'Uddin', 'Mistry', 'Sharma', 'Kumar', 'Chauhan', 'Parmar', 'Gupta', 'Okafor', 'Mensah',
  'Adeyemi', 'Okoro', 'Adebayo', 'Boateng', 'Owusu', 'Asante', 'Osei', 'Nwosu', 'Kowalski', 'Nowak', 'Wisniewski',
  'Wojcik', 'Kaminski', 'Lewandowski', 'Zielinski', 'Doherty', 'Kavanagh', 'Fitzgerald', 'Brennan', 'Flanagan',
  'Maguire', 'Kearney', 'Gallacher', 'Docherty', 'MacDonald', 'MacLeod', 'Mackenzie', 'McLean', 'McKenzie', 'Fraser',
  'Cameron', 'Sinclair', 'Munro', 'Paterson', 'Duncan', 'Boyle', 'Smith-Jones', 'Lloyd-Davies', 'Chandler', 'Steele',
  'Bolton', 'Kirby', 'Moran', 'Pollard', 'Rowley', 'Sanders', 'Hobbs', 'Whittaker', 'Dyer', 'Holden', 'Sheppard',
  'Horton', 'Fuller', 'Kirk', 'Finch', 'Ashton', 'Tomlinson', 'Charlton', 'Vaughan', 'Waters', 'Parkinson', 'Rhodes',
  'Dale', 'Wall', 'Benson', 'Bartlett', 'Howell', 'Bull', 'Boyd', 'Archer', 'Swift', 'Coates', 'Lord', 'Blackburn',
  'Kay', 'Rowland', 'Hanson', 'Sykes', 'Mellor', 'Garner', 'Bentley', 'Pickering', 'Bowen', 'Pratt', 'Dalton',
  'Naylor', 'Haynes', 'Glover', 'Conway', 'Leach', 'Farrell', 'Pope', 'Sims', 'Hale', 'Pike', 'Tyler', 'Chadwick',
  'Howe', 'Norton', 'Hyde', 'Marsden', 'Crawford', 'Cartwright', 'Nowakowski', 'Szymanski', 'Mazur', 'Popescu',
  'Ionescu', 'Silva', 'Santos', 'Ferreira', 'Mohamud', 'Abdi', 'Hassan', 'Osman', 'Yusuf', 'Ibrahim',
];

/** Real Gaelic patronymic names (Mac/Mc, O'). */
const GAELIC_STEMS = [
  'Allister', 'Andrew', 'Bride', 'Cabe', 'Call', 'Cann', 'Clure', 'Cormack', 'Crae', 'Cullough', 'Dermott', 'Donnell',
  'Dougall', 'Dowell', 'Ewan', 'Fadden', 'Farlane', 'Gee', 'Gill', 'Govern', 'Gowan', 'Grath', 'Gregor', 'Guire',
  'Hugh', 'Intyre', 'Kay', 'Kenna', 'Kinnon', 'Laren', 'Laughlin', 'Mahon', 'Manus', 'Master', 'Millan', 'Mullen',
  'Nab', 'Namara', 'Nally', 'Naughton', 'Neil', 'Nulty', 'Pherson', 'Quade', 'Rae', 'Shane', 'Tavish', 'Vey', 'Whirter',
];
const O_STEMS = ['Reilly', 'Sullivan', 'Donnell', 'Leary', 'Hara', 'Keefe', 'Shea', 'Rourke', 'Mahony', 'Callaghan', 'Dwyer', 'Driscoll', 'Grady', 'Halloran', 'Kane', 'Malley', 'Toole', 'Dowd', 'Flaherty', 'Connell', 'Gorman', 'Hanlon', 'Loughlin', 'Meara', 'Regan'];

/** Given-name roots of English patronymic surnames (Dobson, Hobbs, Watkins, Jennett …). */
const PATRONYMIC_ROOTS = ['Ad', 'Al', 'Bat', 'Dob', 'Dick', 'Gib', 'Hob', 'Hod', 'Hud', 'Jen', 'Jep', 'Nel', 'Per', 'Phil', 'Rob', 'Sim', 'Tom', 'Wat', 'Hew', 'Ham', 'Mat', 'Pat', 'Col', 'Hop', 'Daw', 'Hutch', 'Stev', 'Wilk', 'Jack', 'Rich', 'Mas', 'Dav', 'Gil', 'Hen', 'Ran', 'Tim', 'Ack', 'Bet', 'Cad', 'Dod'];
const PATRONYMIC_ENDINGS = ['son', 's', 'kins', 'kin', 'ett'];
/** Roots of English place-derived surnames (Ashford, Bradley, Whitfield …) and the place endings they take. */
const PLACE_ROOTS = [
  'Ash', 'Ald', 'Ayl', 'Bark', 'Birk', 'Black', 'Brad', 'Bram', 'Brent', 'Brig', 'Brom', 'Buck', 'Bur', 'Cald', 'Cam',
  'Carl', 'Chat', 'Chel', 'Chis', 'Clif', 'Cop', 'Cran', 'Crom', 'Dal', 'Dar', 'Den', 'Dun', 'Eg', 'Ell', 'Elm',
  'Farn', 'Fel', 'Fen', 'Gar', 'Gold', 'Grim', 'Had', 'Hal', 'Har', 'Hart', 'Has', 'Hay', 'Hel', 'Hol', 'Hor', 'Hum',
  'Kel', 'Ken', 'Kin', 'Kir', 'Lang', 'Lay', 'Lin', 'Lock', 'Long', 'Lud', 'Mar', 'Mel', 'Mid', 'Mil', 'Mor', 'Nor',
  'Oak', 'Pen', 'Pres', 'Rad', 'Ram', 'Red', 'Rid', 'Rock', 'Rom', 'Rud', 'Sal', 'Sand', 'Shel', 'Shir', 'Stan',
  'Stock', 'Sum', 'Sut', 'Thorn', 'Thurs', 'Tod', 'Wad', 'Wal', 'War', 'Wes', 'Whit', 'Wil', 'Win', 'Wol', 'Wy',
  'Ather', 'Coll', 'Dray', 'Fair', 'Glad', 'Hamb', 'Ing', 'Lat', 'Mans', 'Orm', 'Rish', 'Skel', 'Tern', 'Ver',
].filter((r) => /^[A-Z][a-z]+$/.test(r));
const PLACE_ENDINGS = ['ley', 'ton', 'ford', 'field', 'wood', 'well', 'worth', 'by', 'ham', 'hurst', 'more', 'stone', 'ridge', 'brook', 'dale', 'combe', 'wick', 'thorpe', 'den', 'shaw', 'land', 'bury', 'ington', 'croft'];

const surnameList: string[] = [
  ...SURNAME_HEAD,
  ...GAELIC_STEMS.flatMap((s) => [`Mc${s}`, `Mac${s}`]),
  ...O_STEMS.map((s) => `O'${s}`),
];
// The composed tail, interleaved so no one pattern takes the better ranks.
// -s doubles a final b, d or g (Hobbs, Dodds, Gibbs) and is not put on two-letter roots.
const patronymics = PATRONYMIC_ROOTS.flatMap((r) => PATRONYMIC_ENDINGS.filter((e) => e !== 's' || r.length > 2).map((e) => (e === 's' && /[bdg]$/.test(r) ? `${r}${r.slice(-1)}s` : `${r}${e}`)));
const places = PLACE_ENDINGS.flatMap((e) => PLACE_ROOTS.map((r) => `${r}${r.endsWith(e[0]) ? e.slice(1) : e}`));
for (let i = 0; i < Math.max(patronymics.length, places.length); i++) {
  if (i < places.length) surnameList.push(places[i]);
  if (i < patronymics.length) surnameList.push(patronymics[i]);
}

/** Surnames: about 440 real common ones first, then Gaelic names, then the composed tail. */
export const SURNAME_POOL = new NamePool(surnameList, 20);
export const MALE_POOL = new NamePool(MALE_NAMES, 10);
export const FEMALE_POOL = new NamePool(FEMALE_NAMES, 10);
