/**
 * What the demo shops sell: six products per category, the same in every shop of a category.
 * Products are numbered from 1 (`/produit/<n>`); prices in cents.
 */
export const CATEGORIES = {
  mode: 'Mode',
  'high-tech': 'High-tech',
  maison: 'Maison & déco',
  bricolage: 'Bricolage',
  voyage: 'Voyage',
  beaute: 'Beauté',
  sport: 'Sport',
  alimentation: 'Alimentation',
  vin: 'Vins & spiritueux',
  jouets: 'Jouets',
  livres: 'Livres',
  animaux: 'Animaux',
  jardin: 'Jardin',
  musique: 'Musique',
  bijoux: 'Bijoux',
  fleurs: 'Fleurs',
  optique: 'Optique',
  bazar: 'Grand magasin',
} as const;

export type Category = keyof typeof CATEGORIES;

export const CATEGORY_IDS = Object.keys(CATEGORIES) as Category[];

export interface Product {
  number: number;
  name: string;
  price: number;
  description: string;
}

type Line = [name: string, price: number, description: string];

const LINES: Record<Category, Line[]> = {
  mode: [
    ['Chemise en lin', 4900, 'Lin lavé, coupe droite, boutons en nacre.'],
    ['Pull col rond en laine', 6900, 'Laine mérinos, tricoté au Portugal.'],
    ['Jean droit brut', 7900, 'Denim japonais 14 oz.'],
    ['Veste en velours côtelé', 12900, 'Doublure en coton, quatre poches.'],
    ['Écharpe en cachemire', 8900, 'Cachemire de Mongolie, 180 × 30 cm.'],
    ['Baskets en cuir blanc', 9900, 'Cuir pleine fleur, semelle en caoutchouc naturel.'],
  ],
  'high-tech': [
    ['Casque sans fil à réduction de bruit', 19900, '30 heures d’autonomie, charge USB-C.'],
    ['Enceinte Bluetooth étanche', 5990, 'IP67, 12 heures de musique.'],
    ['Liseuse 6 pouces', 12999, 'Écran sans reflet, éclairage réglable.'],
    ['Clavier mécanique', 8990, 'Disposition AZERTY, touches silencieuses.'],
    ['Chargeur USB-C 65 W', 3490, 'Deux ports, compatible ordinateurs portables.'],
    ['Montre connectée', 14900, 'GPS, cardio, 7 jours d’autonomie.'],
  ],
  maison: [
    ['Lampe à poser en laiton', 8900, 'Abat-jour en lin, ampoule E27.'],
    ['Plaid en laine', 5900, '130 × 170 cm, tissé dans les Vosges.'],
    ['Table basse en chêne', 34900, 'Chêne massif huilé, 100 × 60 cm.'],
    ['Service de 6 assiettes', 4500, 'Grès émaillé, passe au lave-vaisselle.'],
    ['Miroir rond', 7900, 'Cadre en métal noir, diamètre 60 cm.'],
    ['Parure de lit en percale', 9900, 'Coton bio, 240 × 220 cm.'],
  ],
  bricolage: [
    ['Perceuse-visseuse 18 V', 12900, 'Deux batteries, coffret de transport.'],
    ['Coffret de 100 embouts', 2490, 'Acier au chrome-vanadium.'],
    ['Escabeau 5 marches', 6990, 'Aluminium, plateau porte-outils.'],
    ['Niveau laser croix', 8990, 'Portée 15 m, trépied fourni.'],
    ['Scie égoïne', 1990, 'Denture trempée, 50 cm.'],
    ['Pot de peinture mate 2,5 L', 3990, 'Blanc cassé, lessivable.'],
  ],
  voyage: [
    ['Week-end à Lisbonne', 34900, '2 nuits en hôtel 4 étoiles, petit-déjeuner inclus.'],
    ['Séjour en Crète', 89000, '7 nuits en demi-pension, vols compris.'],
    ['Nuit en cabane perchée', 18900, 'Dans le Périgord, panier du soir inclus.'],
    ['Escapade à Rome', 42900, '3 nuits près du Panthéon.'],
    ['Circuit en Écosse', 129000, '10 jours en autotour.'],
    ['Valise cabine', 12900, 'Coque polycarbonate, 4 roues.'],
  ],
  beaute: [
    ['Crème hydratante', 2900, 'Peaux sèches, 50 ml.'],
    ['Sérum à la vitamine C', 3900, 'Flacon pipette, 30 ml.'],
    ['Eau de parfum florale', 6900, 'Notes de pivoine et de figue, 50 ml.'],
    ['Palette de fards', 3400, 'Douze teintes mates et irisées.'],
    ['Huile sèche pour le corps', 2400, 'Au monoï, 100 ml.'],
    ['Brosse en poils de sanglier', 3500, 'Manche en hêtre.'],
  ],
  sport: [
    ['Chaussures de trail', 12900, 'Crampons 5 mm, membrane imperméable.'],
    ['Sac à dos 30 L', 7900, 'Dos ventilé, housse de pluie.'],
    ['Tapis de yoga', 3900, 'Caoutchouc naturel, 4 mm.'],
    ['Veste coupe-vent', 8900, 'Compactable dans sa poche.'],
    ['Gourde isotherme', 2500, '750 ml, 24 heures au frais.'],
    ['Raquette de badminton', 4900, 'Cadre en graphite.'],
  ],
  alimentation: [
    ['Coffret de terrines', 3200, 'Quatre terrines du Sud-Ouest.'],
    ['Huile d’olive de Provence', 1890, 'AOP, 75 cl.'],
    ['Assortiment de fromages', 4500, 'Cinq fromages affinés.'],
    ['Café en grains', 1450, 'Pur arabica d’Éthiopie, 500 g.'],
    ['Panier gourmand', 6900, 'Douceurs salées et sucrées.'],
    ['Miel de lavande', 990, '500 g, récolté dans le Luberon.'],
  ],
  vin: [
    ['Bordeaux rouge 2019', 2400, 'Merlot et cabernet, 75 cl.'],
    ['Champagne brut', 3900, 'Blanc de blancs, 75 cl.'],
    ['Coffret découverte 6 bouteilles', 8900, 'Six régions de France.'],
    ['Sancerre blanc', 2200, 'Sauvignon, 75 cl.'],
    ['Armagnac 10 ans', 5900, '70 cl, étui bois.'],
    ['Côtes-du-Rhône rosé', 1100, '75 cl.'],
  ],
  jouets: [
    ['Circuit de billes en bois', 5900, 'Dès 4 ans, 120 pièces.'],
    ['Peluche renard', 2490, '35 cm, lavable en machine.'],
    ['Jeu de société familial', 3490, '2 à 6 joueurs, dès 8 ans.'],
    ['Kit de chimie', 3990, '40 expériences guidées.'],
    ['Draisienne', 6990, 'Cadre en bois, pneus increvables.'],
    ['Puzzle 1000 pièces', 1990, 'Carte ancienne de Paris.'],
  ],
  livres: [
    ['Roman de la rentrée', 2150, 'Grand format, 320 pages.'],
    ['Bande dessinée', 1595, 'Album cartonné, 64 pages.'],
    ['Guide de randonnée', 1890, '50 itinéraires dans les Alpes.'],
    ['Livre de cuisine', 2900, '120 recettes de saison.'],
    ['Coffret de poche', 3400, 'Trois classiques.'],
    ['Atlas illustré', 3950, 'Pour les 8-12 ans.'],
  ],
  animaux: [
    ['Croquettes pour chat 4 kg', 3990, 'Sans céréales.'],
    ['Arbre à chat', 8900, '150 cm, trois plateformes.'],
    ['Panier pour chien', 4900, 'Déhoussable, taille M.'],
    ['Laisse en cuir', 2900, '1,20 m, mousqueton laiton.'],
    ['Fontaine à eau', 3490, 'Filtre au charbon, 2 L.'],
    ['Friandises assorties', 890, 'Sachet de 300 g.'],
  ],
  jardin: [
    ['Sécateur forgé', 3490, 'Lames en acier trempé.'],
    ['Jardinière en terre cuite', 2990, '60 cm, fabriquée en Anjou.'],
    ['Tuyau d’arrosage 25 m', 3990, 'Anti-torsion, raccords inclus.'],
    ['Salon de jardin en acacia', 49900, 'Table et quatre chaises.'],
    ['Graines de potager', 1290, 'Dix variétés anciennes.'],
    ['Composteur 400 L', 7900, 'Bois traité autoclave.'],
  ],
  musique: [
    ['Guitare folk', 24900, 'Table en épicéa massif.'],
    ['Ukulélé soprano', 5900, 'Housse fournie.'],
    ['Vinyle, album culte', 2690, 'Réédition 180 g.'],
    ['Métronome', 2490, 'Mécanique, boîtier en bois.'],
    ['Clavier 61 touches', 19900, 'Touches dynamiques, 400 sons.'],
    ['Jeu de cordes', 1290, 'Bronze phosphoreux.'],
  ],
  bijoux: [
    ['Collier en argent', 8900, 'Chaîne maille forçat, 45 cm.'],
    ['Boucles d’oreilles dorées', 5900, 'Plaqué or 3 microns.'],
    ['Bague en or jaune', 32900, 'Or 18 carats.'],
    ['Bracelet jonc', 7400, 'Argent 925.'],
    ['Montre à quartz', 14900, 'Bracelet en cuir, verre saphir.'],
    ['Broche fleur', 4500, 'Émail et laiton.'],
  ],
  fleurs: [
    ['Bouquet de saison', 3900, 'Composé le jour même.'],
    ['Orchidée blanche', 3490, 'Deux tiges, cache-pot inclus.'],
    ['Roses rouges (12)', 4990, 'Roses d’Équateur, tiges de 60 cm.'],
    ['Couronne de fleurs séchées', 5500, 'Diamètre 30 cm.'],
    ['Plante verte', 2990, 'Monstera, pot de 17 cm.'],
    ['Abonnement 3 bouquets', 10900, 'Un bouquet par mois.'],
  ],
  optique: [
    ['Lunettes de soleil', 12900, 'Verres polarisés, monture acétate.'],
    ['Monture optique', 15900, 'Titane, verres non inclus.'],
    ['Lentilles mensuelles', 3900, 'Boîte de 6.'],
    ['Lunettes de lecture', 2900, 'Dioptrie au choix.'],
    ['Étui rigide', 1500, 'Cuir grainé.'],
    ['Spray nettoyant', 690, '60 ml, chiffon microfibre inclus.'],
  ],
  bazar: [
    ['Bougie parfumée', 2490, 'Cire de soja, 40 heures.'],
    ['Robot pâtissier', 29900, 'Bol de 5 L, trois accessoires.'],
    ['Parapluie pliant', 2990, 'Ouverture automatique.'],
    ['Coffret de thés', 3400, 'Douze thés du monde.'],
    ['Sac cabas en toile', 1990, 'Coton épais, fabriqué en France.'],
    ['Réveil lumineux', 5990, 'Simulation d’aube, radio FM.'],
  ],
};

export function productsOf(category: Category): Product[] {
  return LINES[category].map(([name, price, description], index) => ({
    number: index + 1,
    name,
    price,
    description,
  }));
}

export function productOf(category: Category, number: number): Product | undefined {
  return productsOf(category).find((product) => product.number === number);
}

export function isCategory(value: string): value is Category {
  return Object.hasOwn(CATEGORIES, value);
}
